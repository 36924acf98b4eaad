#!/usr/bin/env python
# coding: utf-8

# In[1]:


import numpy as np
get_ipython().run_line_magic('matplotlib', 'inline')


# In[3]:


def calcularCosto(X, y, theta):
    return float(((X @ theta - y) ** 2).mean() / 2)


# %%
%time calcularCosto(np.ones((2, 2)), np.ones(2), np.zeros(2))
!ls
